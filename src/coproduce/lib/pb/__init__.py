"""Participatory budgeting: Pabulib files, voting rules and their explanations. Plain Python, no Django."""
