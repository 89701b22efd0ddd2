#!/bin/sh
# azd postdeploy hook: subscribes the Function's blob trigger to tile uploads.
#
# The Event Grid webhook is the blobs extension endpoint of the deployed app, signed with the
# host's blobs_extension system key. That key only exists once the deployed code has started
# with its Event Grid blob trigger, so the subscription cannot be part of the Bicep.
# azd passes the Bicep outputs as environment variables. Idempotent: safe on every deploy.
set -eu

: "${AZURE_FUNCTION_APP_NAME:?not set: run this through azd (azd up / azd deploy)}"
: "${RESOURCE_GROUP:?not set: run this through azd (azd up / azd deploy)}"
: "${EVENT_GRID_SYSTEM_TOPIC_NAME:?not set: run this through azd (azd up / azd deploy)}"

function_name="ProcessTile"
subscription_name="processor-tiles"
container="${TILES_CONTAINER:-tiles}"
host="${AZURE_FUNCTION_APP_HOSTNAME:-$AZURE_FUNCTION_APP_NAME.azurewebsites.net}"
attempts=20

# Sign-in (Easy Auth) returns people to /.auth/login/aad/callback on this host: the app registration must list it.
if [ "${ENABLE_ENTRA_AUTH:-true}" = "true" ] && [ -n "${AUTH_CLIENT_ID:-}" ]; then
  echo "Entra ID sign-in: adding https://$host/.auth/login/aad/callback to app registration $AUTH_CLIENT_ID..."
  az ad app update --id "$AUTH_CLIENT_ID" --web-redirect-uris "https://$host/.auth/login/aad/callback" \
    --enable-id-token-issuance true --only-show-errors --output none \
    || echo "  could not update the registration (are you its owner?); add the redirect URI by hand (docs/deploy.md)." >&2
fi

# With the GPU worker on, Event Grid feeds every upload to its queue; a second route to the Function would score
# each tile twice (harmless, since processing is idempotent, but paid for twice). The GPU queue is then the only
# route and the Function keeps serving the HTTP API.
if [ "${ENABLE_GPU_WORKER:-false}" = "true" ]; then
  echo "GPU worker enabled: uploads go to its queue; removing the Function's webhook subscription if present."
  az eventgrid system-topic event-subscription delete \
    --name "$subscription_name" \
    --resource-group "$RESOURCE_GROUP" \
    --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC_NAME" \
    --yes --only-show-errors --output none 2>/dev/null || true
  exit 0
fi

echo "Reading the blobs_extension key of $AZURE_FUNCTION_APP_NAME..."
key=""
attempt=1
while :; do
  key=$(az functionapp keys list \
    --resource-group "$RESOURCE_GROUP" \
    --name "$AZURE_FUNCTION_APP_NAME" \
    --query "systemKeys.blobs_extension" \
    --output tsv 2>/dev/null || true)
  [ -n "$key" ] && break
  if [ "$attempt" -ge "$attempts" ]; then
    echo "No blobs_extension key after $attempts tries. Is $function_name (a blob trigger with Source = EventGrid) deployed, and are you signed in with 'az login'?" >&2
    exit 1
  fi
  echo "  not there yet (the host may still be starting); retry $attempt of $attempts in 15 s"
  attempt=$((attempt + 1))
  sleep 15
done

# The key is a secret: it goes straight into the subscription and is never printed.
endpoint="https://$host/runtime/webhooks/blobs?functionName=Host.Functions.$function_name&code=$key"

echo "Subscribing $function_name to uploads in '$container' (Event Grid topic $EVENT_GRID_SYSTEM_TOPIC_NAME)..."
az eventgrid system-topic event-subscription create \
  --name "$subscription_name" \
  --resource-group "$RESOURCE_GROUP" \
  --system-topic-name "$EVENT_GRID_SYSTEM_TOPIC_NAME" \
  --endpoint-type webhook \
  --endpoint "$endpoint" \
  --event-delivery-schema eventgridschema \
  --included-event-types Microsoft.Storage.BlobCreated \
  --subject-begins-with "/blobServices/default/containers/$container/" \
  --advanced-filter data.api StringIn PutBlob PutBlockList FlushWithClose CopyBlob \
  --max-delivery-attempts 30 \
  --event-ttl 1440 \
  --deadletter-identity systemassigned \
  --deadletter-identity-endpoint "$EVENT_DEADLETTER_ENDPOINT" \
  --only-show-errors \
  --output none

echo "Done: uploads to '$container' now trigger $function_name."
