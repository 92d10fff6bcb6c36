// Placeholder: the AccordSQLite module is being built.
