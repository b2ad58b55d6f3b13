/**
 * Example third-party credential provider: bearer tokens for outbound services, one file per service in a directory
 * ({@code credential.file.directory}), which operation handlers read with {@code context.env().credentials(service)}.
 * Entry point: {@link com.example.credentials.FileCredentialsPlugin}.
 */
package com.example.credentials;
