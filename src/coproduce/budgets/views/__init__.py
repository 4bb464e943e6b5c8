"""Budget pages, by group: `budgets`, `projects`, `voting`, `results`."""
