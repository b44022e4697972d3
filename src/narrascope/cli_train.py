"""`narrascope train ...`: rebuild the shipped models from the public datasets."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from narrascope.cli_support import user_errors
from narrascope.config import PACKAGE_DIR, Settings
from narrascope.errors import NarrascopeError

T10 = "semeval2025t10"


def _say(message: str) -> None:
    click.echo(message, err=True)


def _needs(settings: Settings, *folders: str) -> None:
    for needed in folders:
        if not (settings.data_dir / needed).is_dir():
            raise NarrascopeError(f"no {needed}/ under {settings.data_dir}; set NARRASCOPE_DATA "
                                  "to the folder that holds the public datasets")


def _languages(value: str) -> tuple[str, ...]:
    found = tuple(lang.strip().upper() for lang in value.split(",") if lang.strip())
    if not found:
        raise click.BadParameter("give at least one language, e.g. BG,EN,HI,PT,RU")
    return found


@click.group("train")
def train_group() -> None:
    """Train the small models narrascope ships, from the public datasets ($NARRASCOPE_DATA)."""


@train_group.command("themes")
@click.option("--out", type=click.Path(path_type=Path), default=None,
              help="Where to write the calibration [default: the shipped "
                   "models/themes-calibration.json].")
@click.option("--languages", default="BG,EN,HI,PT,RU", show_default=True,
              help="SemEval-2025 Task 10 languages to fit on, comma-separated.")
@user_errors
def train_themes(out: Path | None, languages: str) -> None:
    """Fit the codebook-theme score calibration on SemEval-2025 Task 10 train; score it on dev."""
    from narrascope.detect.themes import CALIBRATION_FILE
    from narrascope.train.themes import train_theme_calibration

    settings = Settings()
    if not (settings.data_dir / "semeval2025t10").is_dir():
        raise NarrascopeError(f"no SemEval-2025 Task 10 data under {settings.data_dir}; set "
                              "NARRASCOPE_DATA to the folder that holds semeval2025t10/")
    result = train_theme_calibration(
        settings.data_dir, out or CALIBRATION_FILE,
        languages=[lang.strip().upper() for lang in languages.split(",") if lang.strip()],
        progress=lambda message: click.echo(message, err=True),
    )
    click.echo(f"slope {result['slope']}, intercept {result['intercept']}; dev AUC "
               f"{result['dev']['auc']}, dev F1 at 0.5 {result['dev']['f1']}")
    click.echo(f"written to {out or CALIBRATION_FILE}")


@train_group.command("techniques")
@click.option("--only", type=click.Choice(["si", "tc"]),
              help="Train only the span tagger (si) or the technique classifier (tc).")
@user_errors
def train_techniques(only: str | None) -> None:
    """Train the persuasion-technique span tagger and classifier on the PTC and ru_zen_prop train
    splits; score them on dev. Writes models/techniques-si.* and techniques-tc.*."""
    from narrascope.embed import Encoder

    settings = Settings()
    _needs(settings, "ptc_semeval2020t11", "ru_zen_prop")
    encoder, model_dir = Encoder(), PACKAGE_DIR / "models"
    say = _say
    if only in (None, "si"):
        from narrascope.detect.techniques.si_train import train_span_tagger

        result = train_span_tagger(settings.data_dir, model_dir, encoder=encoder, progress=say)
        click.echo(f"span tagger: dev {json.dumps(_headline(result))}")
    if only in (None, "tc"):
        from narrascope.detect.techniques.tc import train_technique_classifier

        result = train_technique_classifier(settings.data_dir, model_dir, encoder=encoder,
                                            progress=say)
        click.echo(f"technique classifier: dev {json.dumps(_headline(result))}")


def _headline(result: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in result.items() if k in ("ptc", "ru", "seconds")}


languages_option = click.option(
    "--languages", default="BG,EN,HI,PT,RU", show_default=True,
    help="SemEval-2025 Task 10 languages to train on, comma-separated (dev is scored on all).")


def _t10_training(trainer: Callable[..., dict[str, Any]], languages: str) -> dict[str, Any]:
    from narrascope.embed import Encoder

    settings = Settings()
    _needs(settings, T10)
    return trainer(settings.data_dir, PACKAGE_DIR / "models", encoder=Encoder(),
                   languages=_languages(languages), progress=_say)


@train_group.command("narratives")
@languages_option
@user_errors
def train_narratives(languages: str) -> None:
    """Train the narrative / sub-narrative classifier on SemEval-2025 Task 10 train (subtask 2);
    score it on dev. Writes models/narratives.*."""
    from narrascope.train.narratives import train_narratives as trainer

    result = _t10_training(trainer, languages)
    click.echo(f"narratives: dev {json.dumps(_mean(result))}")


@train_group.command("roles")
@languages_option
@user_errors
def train_roles(languages: str) -> None:
    """Train the entity-role classifier on SemEval-2025 Task 10 train (subtask 1); score it on
    dev. Writes models/roles.*."""
    from narrascope.train.roles import train_roles as trainer

    result = _t10_training(trainer, languages)
    click.echo(f"roles: dev {json.dumps(_mean(result))}")


@train_group.command("casing")
@user_errors
def train_casing() -> None:
    """Count how often English words are written in lower case inside sentences, on public
    English news (PTC, SemEval-2025 T10 EN, ECB+ train/dev, AllSides leads). Writes
    models/casing-en.json, which the entity finder uses to tell names from title-case phrases."""
    from narrascope.train.casing import train_casing as trainer

    settings = Settings()
    _needs(settings, "ptc_semeval2020t11")
    result = trainer(settings.data_dir, PACKAGE_DIR / "models")
    click.echo(f"casing: {result['words']} words written to {PACKAGE_DIR / 'models'}")


def _mean(result: dict[str, Any]) -> Any:
    for key in ("mean", "dev_mean"):
        if key in result:
            return result[key]
    return {k: v for k, v in result.items() if not isinstance(v, dict | list)} or result


@train_group.command("stories")
@click.option("--out-dir", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Where to write stories.json and stories-df.npz [default: the shipped "
                   "models/ folder].")
@user_errors
def train_stories(out_dir: Path | None) -> None:
    """Learn the story tracker's join-or-open decision on ECB+ train and NeuS train."""
    from narrascope.embed import Encoder
    from narrascope.train.stories import train

    settings = Settings()
    _needs(settings, "ecbplus", "allsides_stories", T10)
    target = out_dir or PACKAGE_DIR / "models"
    target.mkdir(parents=True, exist_ok=True)
    model = train(settings.data_dir, Encoder().encode, target, say=_say)
    click.echo(f"threshold {model['threshold']} (best per training stream: "
               f"{model['train']['best_threshold_per_stream']}); "
               f"written to {target}")
