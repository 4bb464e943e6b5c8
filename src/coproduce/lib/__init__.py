"""Pure-Python algorithms with no Django: participatory budgeting rules and Pabulib I/O (`pb`), and
ledger arithmetic (`ledger`). Plain functions on plain data, tested on their own; import-linter keeps Django out."""
