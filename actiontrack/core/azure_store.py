"""The file store on Azure Blob Storage (FILE_STORAGE=azure): django-storages' backend, given a connection
string, with the client's retries and timeouts bounded. The Azure SDK's own defaults wait about 80 seconds
before saying a store cannot be reached (four tries with backoff from 15 s): a page, or the load balancer's
health check, would hang that long. django-storages passes its client options only when no connection string
is used, so they are passed here."""

from __future__ import annotations

from azure.storage.blob import BlobServiceClient
from storages.backends.azure_storage import AzureStorage

CLIENT_OPTIONS = {
    "connection_timeout": 5,  # seconds to open a connection
    "read_timeout": 60,  # seconds between bytes of a large file
    "retry_total": 2,  # two more tries after a failure, after about 1 s and 2 s
    "initial_backoff": 1,
    "increment_base": 2,
    "random_jitter_range": 1,
}


class AzureFileStore(AzureStorage):
    def _get_service_client(self):
        if self.connection_string is not None:
            return BlobServiceClient.from_connection_string(self.connection_string,
                                                            **{**CLIENT_OPTIONS, **self.client_options})
        return super()._get_service_client()
