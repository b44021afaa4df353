// RegionRedirectTests: which error answers mean "the bucket is in another region" — only the
// documented ones, never any 400 that happens to name a region.
import HTTP
import Testing
@testable import S3

@Suite struct RegionRedirectTests {
    func xml(_ code: String, region: String = "eu-west-1") -> [UInt8] {
        Array("<?xml version=\"1.0\"?><Error><Code>\(code)</Code><Message>m</Message><Region>\(region)</Region></Error>".utf8)
    }

    @Test func authorizationHeaderMalformedAndPermanentRedirectNameTheRegion() {
        #expect(S3Client.redirectRegion(status: 400, head: HTTPResponseHead(status: 400), body: xml("AuthorizationHeaderMalformed")) == "eu-west-1")
        let redirect = HTTPResponseHead(status: 301, headers: ["x-amz-bucket-region": "ap-south-1"])
        #expect(S3Client.redirectRegion(status: 301, head: redirect, body: xml("PermanentRedirect")) == "ap-south-1")
        // A HEAD's answer has no body: the header tells.
        let head = HTTPResponseHead(status: 400, headers: ["x-amz-bucket-region": "sa-east-1"])
        #expect(S3Client.redirectRegion(status: 400, head: head, body: []) == "sa-east-1")
    }

    @Test(arguments: ["InvalidRequest", "InvalidArgument", "IllegalLocationConstraintException", "InvalidBucketName"])
    func otherBadRequestsThatNameARegionAreNotRedirects(code: String) {
        #expect(S3Client.redirectRegion(status: 400, head: HTTPResponseHead(status: 400), body: xml(code)) == nil)
        let withHeader = HTTPResponseHead(status: 400, headers: ["x-amz-bucket-region": "eu-west-1"])
        #expect(S3Client.redirectRegion(status: 400, head: withHeader, body: xml(code)) == nil)
    }
}
