"""How the Rasa server is started: `python -m serving.server run ...` is `rasa run ...` with serving.patches applied."""
