/**
 * Storage: accounts, organisations, credentials, the audit log and a metagraph, on SQLite or PostgreSQL, with a
 * change stream written in the same transaction as each change. Entry point: {@link io.alknet.storage.StoragePlugin};
 * {@link io.alknet.storage.Storage} opens a database for the CLI and tests.
 */
package io.alknet.storage;
