"""Attack: return objects whose == is always true and that answer every NumPy operation."""

import numpy

EXERCISE = "make_dataset"
HONEST = None  # the honest answer that returns nothing useful scores 0


class Anything(numpy.ndarray):
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        return True


class Liar:
    shape = (250, 2)
    dtype = numpy.dtype(float)

    def __eq__(self, other):
        return True

    def __array__(self, *args, **kwargs):
        return numpy.zeros(self.shape)


def make_dataset(n_samples, n_features=2, threshold=0.5, seed=None):
    return Liar(), numpy.zeros(3).view(Anything)
