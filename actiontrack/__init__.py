"""actiontrack: improvement plans, their actions and RAG status, and the board reports on them."""
