"""Timebank pages, by page group. Each view: parse → access → one service → render; who may do what is
asked of `access`, and the decisions go into the template's context."""
