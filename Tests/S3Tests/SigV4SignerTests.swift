// SigV4SignerTests: the signer against AWS's published Signature Version 4 test vectors.
import HTTP
import Testing
@testable import S3

@Suite struct SigV4SignerTests {
    /// The credentials and time of AWS's "aws-sig-v4-test-suite".
    let suite = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIDEXAMPLE",
                                                        secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
                            region: "us-east-1", service: "service")
    let date = AmzDate(timestamp: "20150830T123600Z")

    func suiteAuthorization(path: String, query: [(String, String)]) -> String {
        suite.authorization(method: "GET", canonicalPath: path, canonicalQuery: SigV4Signer.canonicalQuery(query),
                            headers: [HTTPHeader("Host", "example.amazonaws.com"), HTTPHeader("X-Amz-Date", date.timestamp)],
                            payloadHash: SigV4Signer.emptyPayloadHash, date: date)
    }

    @Test func getVanillaMatchesThePublishedSignature() {
        #expect(suiteAuthorization(path: "/", query: []) ==
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
    }

    @Test func getVanillaQueryOrderKeyCaseSortsParameters() {
        let authorization = suiteAuthorization(path: "/", query: [("Param2", "value2"), ("Param1", "value1")])
        #expect(authorization.hasSuffix("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"))
    }

    @Test func getUnreservedKeepsUnreservedCharacters() {
        let path = URIEncoding.encode("/-._~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", keepSlash: true)
        #expect(suiteAuthorization(path: path, query: []).hasSuffix("Signature=07ef7494c76fa4850883e2b006601f940f8a34d404d0cfa977f52a65bbf5f24f"))
    }

    @Test func getUTF8EncodesThePath() {
        let path = URIEncoding.encode("/ሴ", keepSlash: true)
        #expect(path == "/%E1%88%B4")
        #expect(suiteAuthorization(path: path, query: []).hasSuffix("Signature=8318018e0b0f223aa2bbf98705b62bb787dc9c0e678f255a891fd03141be5d85"))
    }

    /// The GET Object example of the S3 documentation (Range and x-amz-content-sha256 signed).
    @Test func s3GetObjectExampleMatchesTheDocumentation() {
        let signer = SigV4Signer(credentials: AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                             secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                 region: "us-east-1", service: "s3")
        let headers = signer.signingHeaders(method: "GET", host: "examplebucket.s3.amazonaws.com", canonicalPath: "/test.txt",
                                            query: [], headers: [HTTPHeader("Range", "bytes=0-9")],
                                            date: AmzDate(timestamp: "20130524T000000Z"))
        let authorization = headers.first { $0.name == "Authorization" }?.value
        #expect(authorization == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func sessionTokenIsSignedAndSent() {
        var signer = suite
        signer.credentials.sessionToken = "TOKEN"
        signer.service = "s3"
        let headers = signer.signingHeaders(method: "GET", host: "h", canonicalPath: "/", query: [], headers: [], date: date)
        #expect(headers.contains(HTTPHeader("x-amz-security-token", "TOKEN")))
        #expect(headers.last?.value.contains("x-amz-security-token") == true)
    }

    @Test func amzDateFormatsUTC() {
        #expect(AmzDate(secondsSinceEpoch: 1_440_938_160).timestamp == "20150830T123600Z")
    }

    @Test func uriEncodingFollowsSigV4Rules() {
        #expect(URIEncoding.encode("a b+c=d/e%f", keepSlash: true) == "a%20b%2Bc%3Dd/e%25f")
        #expect(URIEncoding.encode("a/b") == "a%2Fb")
        #expect(URIEncoding.decode("a+b%2Bc%20d", plusIsSpace: true) == "a b+c d")
        #expect(SigV4Signer.canonicalQuery([("prefix", ""), ("list-type", "2")]) == "list-type=2&prefix=")
    }

    @Test func credentialsDescriptionHidesTheSecret() {
        let credentials = AWSCredentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "SECRETSECRET",
                                         sessionToken: "TOKENTOKEN", source: "environment")
        #expect(!credentials.description.contains("SECRET"))
        #expect(!credentials.description.contains("TOKEN"))
        #expect(!credentials.description.contains("IOSFODNN7"))
    }
}
