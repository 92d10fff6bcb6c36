// Placeholder: the AccordLedger module is being built.
