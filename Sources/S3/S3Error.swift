// S3Error: failures of the S3 client, each with the message a person needs to act on it.

/// Why an S3 request failed.
public enum S3Error: Error, Sendable {
    /// The credentials were refused as expired: the run must stop, nothing more can succeed.
    case credentialsExpired(String)
    /// No credentials could be found in the environment, profile or config files.
    case noCredentials(String)
}
