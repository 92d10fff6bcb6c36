// Placeholder: the AccordPolicy module is being built.
