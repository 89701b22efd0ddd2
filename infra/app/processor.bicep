// The scoring Function app on Flex Consumption (FC1): Linux, scale to zero, packages
// pulled from a blob container with a deployment identity of their own (the identity the
// app's code runs as has no role on that container), every storage and telemetry
// connection by managed identity. Flex rejects FUNCTIONS_WORKER_RUNTIME and
// FUNCTIONS_EXTENSION_VERSION as app settings: the runtime lives in functionAppConfig.

param name string
param planName string
param location string
param tags object

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity, for the identity-based connections.')
param identityClientId string

@description('Resource id of the identity the platform reads and writes deployment packages with; only it may write them.')
param deploymentIdentityId string

param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

@description('Container in the same account that holds the deployment packages.')
param deploymentContainerName string

param tilesContainerName string
param rejectedContainerName string
param quarantineContainerName string
param resultsTableName string

@description('Focus error (µm) above which a tile is rejected; a decimal written as a string.')
param rejectAboveMicrons string

param applicationInsightsConnectionString string

@description('Require Entra ID sign-in for every HTTP request but the Event Grid webhook (the report shows patient tissue).')
param enableEntraAuth bool

@description('Application (client) id of the Entra app registration users sign in to; used while enableEntraAuth is on.')
param authClientId string

@description('Memory per instance. See docs/deploy.md for why 2048 suits the model.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int

@description('Upper bound on instances the plan scales out to.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource app 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': 'processor' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
      '${deploymentIdentityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    siteConfig: {
      minTlsVersion: '1.2'
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${blobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: deploymentIdentityId
          }
        }
      }
      runtime: {
        name: 'dotnet-isolated'
        version: '10.0'
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
    }
  }
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: app
  name: 'appsettings'
  properties: {
    // Host storage (leases, blob receipts, poison queue) by identity.
    AzureWebJobsStorage__credential: 'managedidentity'
    AzureWebJobsStorage__clientId: identityClientId
    AzureWebJobsStorage__blobServiceUri: blobEndpoint
    AzureWebJobsStorage__queueServiceUri: queueEndpoint
    // No host table URI: the host's optional diagnostic-events tables would need a table role
    // on the whole account; the app's identity holds one on FocusResults only.
    // The app's own connection (trigger, moves, result rows), by identity the same way.
    FocusStorage__credential: 'managedidentity'
    FocusStorage__clientId: identityClientId
    FocusStorage__blobServiceUri: blobEndpoint
    FocusStorage__queueServiceUri: queueEndpoint
    FocusStorage__tableServiceUri: tableEndpoint
    // For anything that builds a DefaultAzureCredential itself.
    AZURE_CLIENT_ID: identityClientId
    TILES_CONTAINER: tilesContainerName
    Storage__RejectedContainer: rejectedContainerName
    Storage__QuarantineContainer: quarantineContainerName
    Storage__ResultsTable: resultsTableName
    Scoring__RejectAboveMicrons: rejectAboveMicrons
    APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
    APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
  }
}

// The slide report and API show patient tissue, and a function key in a link can be forwarded: with this on, the
// platform's authentication (Easy Auth) signs people in with Entra ID of the deploying tenant before any request
// reaches the functions; browsers are sent to the sign-in page, callers with a bearer token for the app registration
// pass. Function keys stay required behind it. Only the blobs extension webhook is left to its own key, because Event
// Grid cannot sign in. No client secret: the registration issues ID tokens (docs/deploy.md).
resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (enableEntraAuth) {
  parent: app
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: [
        '/runtime/webhooks/blobs'
      ]
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: authClientId
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
        }
        validation: {
          allowedAudiences: [
            authClientId
            'api://${authClientId}'
          ]
        }
      }
    }
    login: {
      tokenStore: {
        enabled: true
      }
    }
  }
}

// azd and the hook use Entra tokens; nothing needs publishing user names and passwords.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: app
  name: 'scm'
  properties: {
    allow: false
  }
}

output name string = app.name
output defaultHostName string = app.properties.defaultHostName
output entraAuthEnabled bool = enableEntraAuth
