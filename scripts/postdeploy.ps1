# azd postdeploy hook: subscribes the Function's blob trigger to tile uploads.
#
# The Event Grid webhook is the blobs extension endpoint of the deployed app, signed with the
# host's blobs_extension system key. That key only exists once the deployed code has started
# with its Event Grid blob trigger, so the subscription cannot be part of the Bicep.
# azd passes the Bicep outputs as environment variables. Idempotent: safe on every deploy.
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest

foreach ($name in 'AZURE_FUNCTION_APP_NAME', 'RESOURCE_GROUP', 'EVENT_GRID_SYSTEM_TOPIC_NAME') {
    if (-not [Environment]::GetEnvironmentVariable($name)) {
        throw "$name is not set: run this through azd (azd up / azd deploy)."
    }
}

$appName = $env:AZURE_FUNCTION_APP_NAME
$resourceGroup = $env:RESOURCE_GROUP
$topicName = $env:EVENT_GRID_SYSTEM_TOPIC_NAME
$functionName = 'ProcessTile'
$subscriptionName = 'processor-tiles'
$container = if ($env:TILES_CONTAINER) { $env:TILES_CONTAINER } else { 'tiles' }
$hostName = if ($env:AZURE_FUNCTION_APP_HOSTNAME) { $env:AZURE_FUNCTION_APP_HOSTNAME } else { "$appName.azurewebsites.net" }
$attempts = 20

# Sign-in (Easy Auth) returns people to /.auth/login/aad/callback on this host: the app registration must list it.
if ($env:ENABLE_ENTRA_AUTH -ne 'false' -and $env:AUTH_CLIENT_ID) {
    Write-Host "Entra ID sign-in: adding https://$hostName/.auth/login/aad/callback to app registration $($env:AUTH_CLIENT_ID)..."
    az ad app update --id $env:AUTH_CLIENT_ID --web-redirect-uris "https://$hostName/.auth/login/aad/callback" `
        --enable-id-token-issuance true --only-show-errors --output none
    if ($LASTEXITCODE -ne 0) {
        Write-Warning "Could not update the registration (are you its owner?); add the redirect URI by hand (docs/deploy.md)."
    }
}

# With the GPU worker on, Event Grid feeds every upload to its queue; a second route to the Function would score
# each tile twice (harmless, since processing is idempotent, but paid for twice). The GPU queue is then the only
# route and the Function keeps serving the HTTP API.
if ($env:ENABLE_GPU_WORKER -eq 'true') {
    Write-Host "GPU worker enabled: uploads go to its queue; removing the Function's webhook subscription if present."
    az eventgrid system-topic event-subscription delete `
        --name $subscriptionName `
        --resource-group $resourceGroup `
        --system-topic-name $topicName `
        --yes --only-show-errors --output none 2>$null
    exit 0
}

Write-Host "Reading the blobs_extension key of $appName..."
$key = ''
for ($attempt = 1; ; $attempt++) {
    $key = az functionapp keys list `
        --resource-group $resourceGroup `
        --name $appName `
        --query 'systemKeys.blobs_extension' `
        --output tsv 2>$null
    if ($LASTEXITCODE -eq 0 -and $key) { break }
    if ($attempt -ge $attempts) {
        throw "No blobs_extension key after $attempts tries. Is $functionName (a blob trigger with Source = EventGrid) deployed, and are you signed in with 'az login'?"
    }
    Write-Host "  not there yet (the host may still be starting); retry $attempt of $attempts in 15 s"
    Start-Sleep -Seconds 15
}

# The key is a secret: it goes straight into the subscription and is never printed.
$endpoint = "https://$hostName/runtime/webhooks/blobs?functionName=Host.Functions.$functionName&code=$key"
# On Windows az is a batch file (az.cmd): cmd.exe would split an unquoted URL at its '&'.
if ($env:OS -eq 'Windows_NT') { $endpoint = '"' + $endpoint + '"' }

Write-Host "Subscribing $functionName to uploads in '$container' (Event Grid topic $topicName)..."
az eventgrid system-topic event-subscription create `
    --name $subscriptionName `
    --resource-group $resourceGroup `
    --system-topic-name $topicName `
    --endpoint-type webhook `
    --endpoint $endpoint `
    --event-delivery-schema eventgridschema `
    --included-event-types Microsoft.Storage.BlobCreated `
    --subject-begins-with "/blobServices/default/containers/$container/" `
    --advanced-filter data.api StringIn PutBlob PutBlockList FlushWithClose CopyBlob `
    --max-delivery-attempts 30 `
    --event-ttl 1440 `
    --deadletter-identity systemassigned `
    --deadletter-identity-endpoint $env:EVENT_DEADLETTER_ENDPOINT `
    --only-show-errors `
    --output none
if ($LASTEXITCODE -ne 0) { throw "Creating the Event Grid subscription failed." }

Write-Host "Done: uploads to '$container' now trigger $functionName."
