// Placeholder: the AccordModel module is being built.
