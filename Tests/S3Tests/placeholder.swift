// S3 tests arrive with the S3 client.
