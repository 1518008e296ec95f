"""What the CLI does beyond one library call, a module per command (group); none imports another."""
