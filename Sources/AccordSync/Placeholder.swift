// Placeholder: the AccordSync module is being built.
