"""What people read: tables, CSV, feedback pages, the class summary, progress."""
