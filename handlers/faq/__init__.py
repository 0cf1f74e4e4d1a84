"""FAQ answering: knowledge base format, matching engine and its evaluation.

    entries = load_kb_toml(Path("faq_kb.toml"))  # FaqEntry list; ValueError on a bad entry
    engine = FaqEngine(entries)  # builds the index once
    decision = engine.match("Was kostet die Exkursion?", "de")
    decision.kind        # "answer" | "choices" | "handoff"
    decision.entry_ids   # 1 id, up to 3 ids, or ()

`rewimet-bot faq eval --kb KB.toml --questions Q.jsonl [--self] [--folds 5] [--json]` evaluates it.
"""
