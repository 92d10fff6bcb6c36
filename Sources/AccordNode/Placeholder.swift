// Placeholder: the AccordNode module is being built.
