"""FAQ answering: knowledge base format, matching engine and its evaluation."""
