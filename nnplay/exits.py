"""The exit codes of every command (SPEC §2): 0 success, 1 gradcheck failed, 2 a usage or scenario error,
3 the run diverged."""

EXIT_OK, EXIT_GRADCHECK, EXIT_USAGE, EXIT_DIVERGED = 0, 1, 2, 3
