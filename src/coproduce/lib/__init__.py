"""Pure-Python algorithms with no Django: PB rules and Pabulib I/O, clustering, SROI, ledger arithmetic."""
