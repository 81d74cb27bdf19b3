"""Training the models Briefing ships (not imported by the assistant at run time).

`python -m training.selector` (`make train-selector`) builds the answer-selection data from the
public QA sets in `../shared/datasets/`, fine-tunes the packaged all-MiniLM-L6-v2 as a
cross-encoder and exports it to ONNX under `assistant/answering/models/selector/`.
"""
