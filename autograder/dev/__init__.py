"""Tools for developing the kit (scratch courses, checks run by hand): nothing that grades uses them."""
