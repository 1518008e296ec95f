"""What runs inside the sandbox, copied there as this folder: its modules import only the
standard library, NumPy, Keras, pyseccomp and each other (the kit does not exist there)."""
