// Placeholder: the AccordCrypto module is being built.
