// RequestPayer: `--request-payer requester` of the S3 tools, for requester-pays buckets (many
// public datasets): the requester, not the bucket owner, pays for the requests and transfer.
import ArgumentParser

/// Who pays for requests to a requester-pays bucket.
public enum RequestPayer: String, ExpressibleByArgument, Sendable, CaseIterable {
    case requester
}
