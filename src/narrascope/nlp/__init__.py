"""Per-language text helpers: segmentation and tokenisation."""
