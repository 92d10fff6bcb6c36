// Placeholder: the AccordImport module is being built.
