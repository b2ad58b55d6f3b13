/**
 * An example third-party identity provider, {@code directory}: a flat, LDAP-like directory file maps SSH key
 * fingerprints and hashed bearer secrets to accounts (uid, display name, scopes). Entry point:
 * {@link com.example.authdirectory.DirectoryPlugin}; the file format is described in
 * {@link com.example.authdirectory.DirectoryFile}.
 */
package com.example.authdirectory;
