"""Each assignment's catalog of typical mistakes and valid styles: graded, its kill matrix, mutation."""
