"""The campaigns app's endpoints in the permission matrix: ads (`matrix_ads`) and commerce (`matrix_commerce`)."""

from .matrix_ads import ADS_ENDPOINTS
from .matrix_commerce import COMMERCE_ENDPOINTS

CAMPAIGN_ENDPOINTS = [*ADS_ENDPOINTS, *COMMERCE_ENDPOINTS]
