// Placeholder: the AccordStore module is being built.
