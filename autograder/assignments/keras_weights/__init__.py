"""keras_weights: what a Keras model really computes (hidden checks, one module per exercise)."""
