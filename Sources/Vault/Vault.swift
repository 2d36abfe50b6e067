// Vault module.
