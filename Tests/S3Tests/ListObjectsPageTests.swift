// ListObjectsPageTests: reading ListObjectsV2 and Error answers.
import Testing
@testable import S3

@Suite struct ListObjectsPageTests {
    @Test func readsKeysSizesETagsAndTheContinuationToken() throws {
        let xml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>b</Name><Prefix>p%2F</Prefix>\
        <EncodingType>url</EncodingType><IsTruncated>true</IsTruncated><NextContinuationToken>p/x y</NextContinuationToken>\
        <Contents><Key>p/a+b%2Bc.jpg</Key><LastModified>2026-01-02T03:04:05.000Z</LastModified>\
        <ETag>&quot;0123456789abcdef0123456789abcdef&quot;</ETag><Size>42</Size></Contents>\
        <Contents><Key>p/%C3%BC%26.png</Key><LastModified>2026-01-02T03:04:06.000Z</LastModified><ETag>"abc-2"</ETag><Size>7</Size></Contents>\
        <CommonPrefixes><Prefix>p/sub%2F</Prefix></CommonPrefixes></ListBucketResult>
        """
        let page = try ListObjectsPage(xml: Array(xml.utf8))
        #expect(page.objects == [
            S3Object(key: "p/a b+c.jpg", size: 42, etag: "0123456789abcdef0123456789abcdef", lastModified: "2026-01-02T03:04:05.000Z"),
            S3Object(key: "p/ü&.png", size: 7, etag: "abc-2", lastModified: "2026-01-02T03:04:06.000Z"),
        ])
        #expect(page.nextContinuationToken == "p/x y")
        #expect(page.commonPrefixes == ["p/sub/"])
    }

    @Test func lastPageHasNoToken() throws {
        let page = try ListObjectsPage(xml: Array("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>".utf8))
        #expect(page.objects.isEmpty)
        #expect(page.nextContinuationToken == nil)
    }

    @Test func rejectsAnswersThatAreNotListings() {
        #expect(throws: S3Error.self) { try ListObjectsPage(xml: Array("<html>proxy error</html>".utf8)) }
    }

    @Test func readsErrorBodiesWithEntities() {
        let body = S3ErrorBody(xml: Array("<Error><Code>SlowDown</Code><Message>Please &lt;slow&gt; down &#38; retry</Message></Error>".utf8))
        #expect(body.code == "SlowDown")
        #expect(body.message == "Please <slow> down & retry")
    }
}
