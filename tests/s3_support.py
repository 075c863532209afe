"""A bucket on moto's S3 server for tests: creating it and pointing the site's storage at it."""

import boto3

CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}  # moto takes any


def use_bucket(settings, endpoint_url: str, bucket: str) -> None:
    """Create ``bucket`` at ``endpoint_url`` and keep the site's files in it, as production's
    AWS_* settings would."""
    boto3.client("s3", endpoint_url=endpoint_url, region_name="us-east-1", **CREDENTIALS).create_bucket(
        Bucket=bucket
    )
    settings.USE_S3 = True
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": bucket,
                "endpoint_url": endpoint_url,
                "region_name": "us-east-1",
                "access_key": "test",
                "secret_key": "test",
                "file_overwrite": False,
                "querystring_expire": 300,
            },
        },
    }
