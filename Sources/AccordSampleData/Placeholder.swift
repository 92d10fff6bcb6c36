// Placeholder: the AccordSampleData module is being built.
