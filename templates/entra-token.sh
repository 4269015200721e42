#!/bin/sh
# Exchanges the pod's projected service-account token (AKS workload identity) for a short-lived Microsoft Entra
# access token, and writes it to a file in memory for the next container. Prints no token.
# Environment: AZURE_CLIENT_ID, AZURE_TENANT_ID, AZURE_FEDERATED_TOKEN_FILE, AZURE_AUTHORITY_HOST (set by the
# workload identity webhook); TOKEN_SCOPE (what the token is for); ACCESS_TOKEN_FILE (where to write it).
set -eu
# The assertion is read from its file by curl (@file): never on a command line.
response=$(curl --fail --silent --show-error --max-time 60 \
    --data-urlencode "client_id=$AZURE_CLIENT_ID" \
    --data-urlencode "scope=$TOKEN_SCOPE" \
    --data-urlencode "grant_type=client_credentials" \
    --data-urlencode "client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer" \
    --data-urlencode "client_assertion@$AZURE_FEDERATED_TOKEN_FILE" \
    "${AZURE_AUTHORITY_HOST%/}/$AZURE_TENANT_ID/oauth2/v2.0/token")
token=$(printf '%s' "$response" | sed -n 's/.*"access_token" *: *"\([^"]*\)".*/\1/p')
if [ -z "$token" ]; then
    echo "The token endpoint answered without an access token." >&2
    exit 1
fi
umask 077
printf '%s' "$token" > "$ACCESS_TOKEN_FILE"
