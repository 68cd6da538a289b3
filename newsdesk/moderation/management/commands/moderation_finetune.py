"""Fine-tune a sentence encoder on this site's examples into an ONNX classifier.

    manage.py moderation_finetune --out DIR [--base NAME|DIR] [--epochs 3] [--folds 5]
        [--no-quantize]

Needs the ``finetune`` dependency group (``make install-finetune``: PyTorch, transformers,
onnx and all-MiniLM-L6-v2). ``--base`` names an encoder a make target installs, all-MiniLM-L6-v2
(the default) or all-mpnet-base-v2 (larger and six times slower, it catches more; ``make
install-finetune-base``), or is a local folder of a BERT-family sentence encoder
(config.json, model.safetensors, tokenizer.json). Nothing is downloaded. The examples are
what the learned models train on: the shipped labelled set and moderators' decisions, each
decision counting MODERATION_DECISION_WEIGHT times. Six fine-tunings (five folds and the
model) of about seven minutes each on two cores for the shipped 9,464 examples
(all-mpnet-base-v2: about 35).

A run that stops part way (a restart, Ctrl-C) keeps the folds it finished beside DIR; run
the same command again and it starts after them.

Then set MODERATION_ONNX_MODEL to DIR/model.onnx and retrain the learned models (the admin's
"Learned model" page, or the worker's next retraining): the stacker learns the new signal's
weight from the held-out scores written beside the model. ``finetune.py`` says what is
written and why.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from newsdesk.moderation import encoders, finetune


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--base",
            help=f"the encoder to fine-tune: {' or '.join(encoders.NAMES)} (make "
            "install-finetune, make install-finetune-base), or a local encoder folder "
            "(default: all-MiniLM-L6-v2)",
        )
        parser.add_argument("--out", required=True, help="folder to write the model into")
        parser.add_argument("--epochs", type=int, default=3, help="passes over the examples")
        parser.add_argument("--folds", type=int, default=5, help="folds of held-out scores")
        parser.add_argument(
            "--no-quantize", action="store_true", help="keep 32-bit weights (4x the size)"
        )

    def handle(self, *args, base, out, epochs, folds, no_quantize, **options):
        from newsdesk.moderation.selectors import training_examples_list

        if epochs < 1 or folds < 2:
            raise CommandError("--epochs must be at least 1 and --folds at least 2")
        try:
            finetune.requirements_check()
            base_folder = _base_folder(base or encoders.DEFAULT)
            result = finetune.finetune_run(
                base=base_folder,
                out=Path(out).expanduser(),
                examples=training_examples_list(),
                epochs=epochs,
                folds=folds,
                quantize=not no_quantize,
                progress=lambda message: self.stdout.write(message),
            )
        except (finetune.FinetuneError, encoders.EncoderError) as error:
            raise CommandError(str(error)) from error
        model = result.folder.resolve() / finetune.MODEL_FILE
        self.stdout.write(
            self.style.SUCCESS(
                f"Fine-tuned on {result.examples} examples ({result.folds} folds) in "
                f"{result.seconds / 60:.0f} min: {model}"
            )
        )
        self.stdout.write(
            f"Set MODERATION_ONNX_MODEL={model} and retrain the learned models to use it."
        )


def _base_folder(base: str) -> Path:
    """The folder of the encoder ``base`` names: a packaged encoder's name, else a path."""
    if base in encoders.NAMES:
        return encoders.encoder_folder(base)
    return Path(base).expanduser()
