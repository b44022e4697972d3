"""A small hand-written gazetteer of the entities news about the Russia-Ukraine war and climate
change cast in roles: countries and blocs, organisations, armed forces and a few people, in
English, Russian, Bulgarian, Portuguese, Korean and Hindi.

Each entry is (canonical name, kind, surface forms). A form ending in ``*`` is a stem: it matches
the stem plus up to four more letters (Russian and Bulgarian cases, Korean particles). A form
with an upper-case letter matches case-sensitively (so "US" is not "us"); the others match in
any case. Forms match at word starts only.
"""

from __future__ import annotations

GAZETTEER: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    # ---------------------------------------------------------------- countries and blocs
    ("Russia", "country", (
        "Russia", "Russian Federation", "Росси*", "Российская Федерация", "Российской Федерации",
        "РФ", "Русия", "Руска федерация", "Rússia", "Federação Russa", "러시아*", "रूस*")),
    ("Ukraine", "country", (
        "Ukraine", "Украин*", "Украйна*", "Ucrânia", "우크라이나*", "यूक्रेन*")),
    ("United States", "country", (
        "United States", "USA", "U.S.", "US", "America", "США", "Соединённые Штаты",
        "Соединенные Штаты", "Америк*", "САЩ", "Estados Unidos", "EUA", "미국*", "अमेरिका*",
        "अमेरीका*")),
    ("China", "country", ("China", "Кита*", "Китай", "Китая", "Китаю", "Китаем", "중국*",
                          "चीन*")),
    ("European Union", "country", (
        "European Union", "EU", "Евросоюз*", "Европейский союз", "Европейского союза", "ЕС",
        "Европейски съюз", "União Europeia", "UE", "유럽연합*", "यूरोपीय संघ*")),
    ("United Kingdom", "country", (
        "United Kingdom", "Britain", "Great Britain", "UK", "Великобритани*", "Британи*",
        "Reino Unido", "영국*", "ब्रिटेन*")),
    ("Germany", "country", ("Germany", "Германи*", "Alemanha", "독일*", "जर्मनी*")),
    ("France", "country", ("France", "Франци*", "França", "프랑스*", "फ्रांस*")),
    ("Poland", "country", ("Poland", "Польш*", "Полша*", "Polónia", "Polônia", "폴란드*",
                           "पोलैंड*")),
    ("Belarus", "country", ("Belarus", "Белорусси*", "Беларус*", "Bielorrússia", "벨라루스*",
                            "बेलारूस*")),
    ("North Korea", "country", (
        "North Korea", "DPRK", "КНДР", "Северная Корея", "Северной Корее", "Северной Кореи",
        "Северна Корея", "Coreia do Norte", "북한*", "조선민주주의인민공화국*", "उत्तर कोरिया*")),
    ("South Korea", "country", ("South Korea", "Южная Корея", "Южной Кореи", "Южна Корея",
                                "Coreia do Sul", "한국*", "대한민국*", "दक्षिण कोरिया*")),
    ("Iran", "country", ("Iran", "Иран*", "Irão", "Irã", "이란*", "ईरान*")),
    ("Israel", "country", ("Israel", "Израил*", "Израел*", "이스라엘*", "इजराइल*", "इज़राइल*")),
    ("India", "country", ("India", "Инди*", "Índia", "인도", "भारत*")),
    ("Pakistan", "country", ("Pakistan", "Пакистан*", "Paquistão", "파키스탄*", "पाकिस्तान*")),
    ("Turkey", "country", ("Turkey", "Türkiye", "Турци*", "Турция", "Turquia", "튀르키예*",
                           "तुर्की*")),
    ("Bulgaria", "country", ("Bulgaria", "Болгари*", "България*", "Bulgária", "불가리아*")),
    ("Portugal", "country", ("Portugal", "Португали*", "포르투갈*")),
    ("Brazil", "country", ("Brazil", "Бразили*", "Brasil", "브라질*", "ब्राज़ील*")),
    ("Japan", "country", ("Japan", "Япони*", "Japão", "일본*", "जापान*")),
    ("Hungary", "country", ("Hungary", "Венгри*", "Унгария*", "Hungria", "헝가리*")),
    ("Moldova", "country", ("Moldova", "Молдави*", "Молдов*", "몰도바*")),
    ("Syria", "country", ("Syria", "Сири*", "Síria", "시리아*", "सीरिया*")),
    ("Gaza", "other", ("Gaza", "Газа", "Газе", "Газы", "Газу", "Газата", "가자*", "गाज़ा*",
                       "गाजा*")),
    ("the West", "other", ("the West", "Запад*", "Западът", "o Ocidente", "Ocidente", "서방*",
                           "पश्चिम*")),
    # ---------------------------------------------------------------- organisations
    ("NATO", "organisation", ("NATO", "НАТО", "OTAN", "나토*", "북대서양조약기구*", "नाटो*")),
    ("United Nations", "organisation", (
        "United Nations", "UN", "ООН", "Организация Объединённых Наций", "ONU",
        "Nações Unidas", "유엔*", "국제연합*", "संयुक्त राष्ट्र*")),
    ("European Commission", "organisation", ("European Commission", "Еврокомисси*",
                                             "Европейската комисия", "Comissão Europeia",
                                             "유럽연합 집행위원회*", "EC")),
    ("Kremlin", "organisation", ("Kremlin", "Кремл*", "Kremlin", "크렘린*", "क्रेमलिन*")),
    ("White House", "organisation", ("White House", "Белый дом", "Белого дома", "Белия дом",
                                     "Casa Branca", "백악관*", "व्हाइट हाउस*")),
    ("Pentagon", "organisation", ("Pentagon", "Пентагон*", "Pentágono", "펜타곤*",
                                  "पेंटागन*")),
    ("IMF", "organisation", ("IMF", "МВФ", "FMI", "국제통화기금*")),
    ("WHO", "organisation", ("WHO", "ВОЗ", "СЗО", "OMS", "세계보건기구*")),
    ("IPCC", "organisation", ("IPCC", "МГЭИК", "МКИК")),
    ("World Economic Forum", "organisation", ("World Economic Forum", "WEF", "Davos", "Давос*",
                                              "Fórum Económico Mundial", "세계경제포럼*")),
    ("CIA", "organisation", ("CIA", "ЦРУ", "미 중앙정보국*")),
    ("FSB", "organisation", ("FSB", "ФСБ")),
    ("SBU", "organisation", ("SBU", "СБУ")),
    ("Greenpeace", "organisation", ("Greenpeace", "Гринпис*")),
    ("Hamas", "organisation", ("Hamas", "ХАМАС", "Хамас", "하마스*", "हमास*")),
    ("BRICS", "organisation", ("BRICS", "БРИКС", "브릭스*", "ब्रिक्स*")),
    ("G7", "organisation", ("G7", "G-7", "Г7", "Большая семёрка", "Большой семёрки")),
    ("OSCE", "organisation", ("OSCE", "ОБСЕ", "ОССЕ", "OSCE")),
    ("IAEA", "organisation", ("IAEA", "МАГАТЭ", "МААЕ", "AIEA", "국제원자력기구*")),
    # ---------------------------------------------------------------- armed forces
    ("Armed Forces of Ukraine", "armed_forces", (
        "Armed Forces of Ukraine", "AFU", "ZSU", "ВСУ", "ЗСУ", "Вооружённые силы Украины",
        "Вооруженные силы Украины", "Вооруженных сил Украины", "Вооружённых сил Украины",
        "ВСУ", "украинские военные", "Ukrainian army", "Ukrainian forces", "Ukrainian troops",
        "Ukrainian military", "украинската армия", "Forças Armadas da Ucrânia",
        "exército ucraniano", "우크라이나군*", "यूक्रेनी सेना*")),
    ("Russian armed forces", "armed_forces", (
        "Russian army", "Russian forces", "Russian troops", "Russian military",
        "российская армия", "российской армии", "российские войска", "российских войск",
        "ВС РФ", "Вооружённые силы России", "Вооруженные силы России", "руската армия",
        "exército russo", "tropas russas", "forças russas", "러시아군*", "रूसी सेना*")),
    ("North Korean troops", "armed_forces", (
        "North Korean troops", "North Korean soldiers", "Korean People's Army", "KPA",
        "северокорейские военные", "северокорейских военных", "северокорейские солдаты",
        "Корейская народная армия", "Корейской народной армии", "조선인민군*", "북한군*")),
    ("Wagner Group", "armed_forces", ("Wagner", "Вагнер*", "ЧВК Вагнер", "바그너*")),
    ("Azov", "armed_forces", ("Azov", "Азов", "Азова", "아조우*")),
    ("Israel Defense Forces", "armed_forces", ("IDF", "ЦАХАЛ", "이스라엘군*")),
    # ---------------------------------------------------------------- people
    ("Vladimir Putin", "person", ("Putin", "Путин*", "푸틴*", "पुतिन*")),
    ("Volodymyr Zelensky", "person", ("Zelensky", "Zelenskyy", "Zelenskiy", "Zelenski",
                                      "Зеленск*", "Зеленски", "젤렌스키*", "ज़ेलेंस्की*",
                                      "जेलेंस्की*")),
    ("Joe Biden", "person", ("Biden", "Байден*", "Байдън*", "바이든*", "बाइडेन*", "बाइडन*")),
    ("Donald Trump", "person", ("Trump", "Трамп*", "Тръмп*", "트럼프*", "ट्रंप*", "ट्रम्प*")),
    ("Kim Jong Un", "person", ("Kim Jong Un", "Kim Jong-un", "Ким Чен Ын*", "Ким Чен Ир*",
                               "김정은*")),
    ("Xi Jinping", "person", ("Xi Jinping", "Си Цзиньпин*", "Си Дзинпин*", "시진핑*",
                              "शी जिनपिंग*")),
    ("Emmanuel Macron", "person", ("Macron", "Макрон*", "마크롱*", "मैक्रों*")),
    ("Olaf Scholz", "person", ("Scholz", "Шольц*", "Шолц*", "숄츠*")),
    ("Sergei Lavrov", "person", ("Lavrov", "Лавров*", "라브로프*", "लावरोव*")),
    ("Sergei Shoigu", "person", ("Shoigu", "Шойгу", "쇼이구*")),
    ("Dmitry Peskov", "person", ("Peskov", "Песков*", "페스코프*")),
    ("Maria Zakharova", "person", ("Zakharova", "Захарова", "Захаровой", "자하로바*")),
    ("Dmitry Medvedev", "person", ("Medvedev", "Медведев*", "메드베데프*")),
    ("Jens Stoltenberg", "person", ("Stoltenberg", "Столтенберг*", "스톨텐베르그*")),
    ("Ursula von der Leyen", "person", ("von der Leyen", "фон дер Ляйен", "фон дер Лайен",
                                        "폰데어라이엔*")),
    ("Viktor Orbán", "person", ("Orbán", "Orban", "Орбан*", "오르반*")),
    ("Benjamin Netanyahu", "person", ("Netanyahu", "Нетаньяху", "Нетаняху", "네타냐후*",
                                      "नेतन्याहू*")),
    ("Recep Tayyip Erdoğan", "person", ("Erdoğan", "Erdogan", "Эрдоган*", "Ердоган*",
                                       "에르도안*")),
    ("Narendra Modi", "person", ("Modi", "Моди", "모디*", "मोदी*")),
    ("Lula da Silva", "person", ("Lula", "Лула")),
    ("Jair Bolsonaro", "person", ("Bolsonaro", "Болсонару")),
    ("Rumen Radev", "person", ("Radev", "Радев*")),
    ("Greta Thunberg", "person", ("Greta Thunberg", "Thunberg", "Грета Тунберг*", "Тунберг*",
                                  "그레타 툰베리*")),
    ("Bill Gates", "person", ("Bill Gates", "Билл Гейтс*", "Бил Гейтс*", "빌 게이츠*")),
    ("George Soros", "person", ("Soros", "Сорос*", "소로스*")),
)
