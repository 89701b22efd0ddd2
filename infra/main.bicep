// FocusFunctions: focus QC for whole-slide tiles. Creates the resource group and, through one
// module per concern, the storage account, monitoring, the Flex Consumption Function app, the
// Event Grid system topic and, when enableGpuWorker is true, the serverless-GPU worker.
// azd passes the parameters from main.parameters.json and hands the outputs to the hooks.
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every generated resource name.')
param environmentName string

@minLength(1)
@description('Region for all resources. It must offer Flex Consumption (and serverless GPUs when enableGpuWorker is true): see docs/deploy.md.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the person running azd, given data access to try the app out; empty for none.')
param principalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param principalType string = 'User'

@description('Also deploy the GPU worker (Container Apps serverless GPU) and route uploads to its queue.')
param enableGpuWorker bool = false

@description('Serverless GPU profile for the worker.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string = 'Consumption-GPU-NC8as-T4'

@description('Region for the GPU worker; empty means location. Serverless GPUs are offered in fewer regions than Flex Consumption.')
param gpuLocation string = ''

@description('Most GPU worker replicas at once.')
@minValue(1)
@maxValue(100)
param gpuMaxReplicas int = 4

@description('Set by azd (SERVICE_GPUWORKER_RESOURCE_EXISTS) once the worker app exists, so re-provisioning keeps its image.')
param gpuWorkerExists bool = false

@description('Focus error in micrometres above which a tile is moved to the rejected container.')
param rejectAboveMicrons string = '2.0'

@description('Put the slide report and API behind Entra ID sign-in (the tenant of the deploying user). Off only for a deployment that holds no patient data.')
param enableEntraAuth bool = true

@description('Application (client) id of the Entra app registration people sign in to; required while enableEntraAuth is on (docs/deploy.md).')
param authClientId string = ''

// Refused at deployment rather than deployed open: sign-in on without a registration would leave nothing to sign in to.
var entraAuthClientId = enableEntraAuth && empty(authClientId)
  ? fail('enableEntraAuth is on but authClientId is empty: create the app registration and run azd env set AUTH_CLIENT_ID <appId> (docs/deploy.md), or azd env set ENABLE_ENTRA_AUTH false for a deployment without patient data.')
  : authClientId

@description('Memory per Function instance in MB.')
@allowed([
  512
  2048
  4096
])
param instanceMemoryMB int = 2048

@description('Most Function instances at once.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

// Every name can be overridden; empty means "generate from the abbreviations and the token".
param resourceGroupName string = ''
@description('Name of the identity the Function app runs as.')
param identityName string = ''
param workerIdentityName string = ''
param deploymentIdentityName string = ''
param storageAccountName string = ''
param logAnalyticsName string = ''
param applicationInsightsName string = ''
param functionPlanName string = ''
param functionAppName string = ''
param eventGridTopicName string = ''
param containerRegistryName string = ''
param containerAppsEnvironmentName string = ''
param gpuWorkerAppName string = ''

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = {
  'azd-env-name': environmentName
}

var tilesContainerName = 'tiles'
var rejectedContainerName = 'rejected'
var quarantineContainerName = 'quarantine'
var deploymentContainerName = 'app-package'
var deadLetterContainerName = 'event-deadletter'
// The Functions host's own state; created here so that its roles can be scoped to them.
var hostLocksContainerName = 'azure-webjobs-hosts'
var hostKeysContainerName = 'azure-webjobs-secrets'
var hostPoisonQueueName = 'webjobs-blobtrigger-poison'
var resultsTableName = 'FocusResults'
var workerQueueName = 'tile-events'
var placeholderImage = 'mcr.microsoft.com/azuredocs/containerapps-helloworld:latest'

var names = {
  resourceGroup: !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
  identity: !empty(identityName) ? identityName : '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
  workerIdentity: !empty(workerIdentityName) ? workerIdentityName : '${abbrs.managedIdentityUserAssignedIdentities}gpuworker-${resourceToken}'
  deploymentIdentity: !empty(deploymentIdentityName) ? deploymentIdentityName : '${abbrs.managedIdentityUserAssignedIdentities}deploy-${resourceToken}'
  storage: !empty(storageAccountName) ? storageAccountName : '${abbrs.storageStorageAccounts}${resourceToken}'
  logAnalytics: !empty(logAnalyticsName) ? logAnalyticsName : '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
  applicationInsights: !empty(applicationInsightsName) ? applicationInsightsName : '${abbrs.insightsComponents}${resourceToken}'
  functionPlan: !empty(functionPlanName) ? functionPlanName : '${abbrs.webServerFarms}${resourceToken}'
  functionApp: !empty(functionAppName) ? functionAppName : '${abbrs.webSitesFunctions}${resourceToken}'
  eventGridTopic: !empty(eventGridTopicName) ? eventGridTopicName : '${abbrs.eventGridSystemTopics}${resourceToken}'
  containerRegistry: !empty(containerRegistryName) ? containerRegistryName : '${abbrs.containerRegistryRegistries}${resourceToken}'
  containerAppsEnvironment: !empty(containerAppsEnvironmentName) ? containerAppsEnvironmentName : '${abbrs.appManagedEnvironments}${resourceToken}'
  gpuWorkerApp: !empty(gpuWorkerAppName) ? gpuWorkerAppName : '${abbrs.appContainerApps}gpuworker-${resourceToken}'
}

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: names.resourceGroup
  location: location
  tags: tags
}

// One identity per app and one for deployment packages: no app can act with another's roles,
// and neither can write the package the Function app runs.
module identity 'core/identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: names.identity
    location: location
    tags: tags
  }
}

module workerIdentity 'core/identity.bicep' = if (enableGpuWorker) {
  name: 'gpuworker-identity'
  scope: rg
  params: {
    name: names.workerIdentity
    location: location
    tags: tags
  }
}

module deploymentIdentity 'core/identity.bicep' = {
  name: 'deployment-identity'
  scope: rg
  params: {
    name: names.deploymentIdentity
    location: location
    tags: tags
  }
}

module storage 'core/storage.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: names.storage
    location: location
    tags: tags
    containerNames: [
      tilesContainerName
      rejectedContainerName
      quarantineContainerName
      deploymentContainerName
      deadLetterContainerName
      hostLocksContainerName
      hostKeysContainerName
    ]
    tableNames: [
      resultsTableName
    ]
    queueNames: [
      workerQueueName
      '${workerQueueName}-poison'
      hostPoisonQueueName
    ]
  }
}

module monitoring 'core/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: names.logAnalytics
    applicationInsightsName: names.applicationInsights
    location: location
    tags: tags
  }
}

module rbac 'app/rbac.bicep' = {
  name: 'rbac'
  scope: rg
  params: {
    storageAccountName: storage.outputs.name
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    functionPrincipalId: identity.outputs.principalId
    workerEnabled: enableGpuWorker
    workerPrincipalId: workerIdentity.?outputs.principalId ?? ''
    deploymentPrincipalId: deploymentIdentity.outputs.principalId
    tilesContainerName: tilesContainerName
    rejectedContainerName: rejectedContainerName
    quarantineContainerName: quarantineContainerName
    deploymentContainerName: deploymentContainerName
    hostLocksContainerName: hostLocksContainerName
    hostKeysContainerName: hostKeysContainerName
    hostPoisonQueueName: hostPoisonQueueName
    workerQueueName: workerQueueName
    workerPoisonQueueName: '${workerQueueName}-poison'
    resultsTableName: resultsTableName
    userPrincipalId: principalId
    userPrincipalType: principalType
  }
}

module processor 'app/processor.bicep' = {
  name: 'processor'
  scope: rg
  // The host reads its storage by identity as soon as it starts: grant first.
  dependsOn: [
    rbac
  ]
  params: {
    name: names.functionApp
    planName: names.functionPlan
    location: location
    tags: tags
    identityId: identity.outputs.id
    identityClientId: identity.outputs.clientId
    deploymentIdentityId: deploymentIdentity.outputs.id
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    deploymentContainerName: deploymentContainerName
    tilesContainerName: tilesContainerName
    rejectedContainerName: rejectedContainerName
    quarantineContainerName: quarantineContainerName
    resultsTableName: resultsTableName
    rejectAboveMicrons: rejectAboveMicrons
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    instanceMemoryMB: instanceMemoryMB
    maximumInstanceCount: maximumInstanceCount
    enableEntraAuth: enableEntraAuth
    authClientId: entraAuthClientId
  }
}

module eventGrid 'app/eventgrid.bicep' = {
  name: 'eventgrid'
  scope: rg
  params: {
    name: names.eventGridTopic
    location: location
    tags: tags
    storageAccountName: storage.outputs.name
    tilesContainerName: tilesContainerName
    workerQueueName: workerQueueName
    deliverToQueue: enableGpuWorker
    deadLetterContainerName: deadLetterContainerName
  }
}

module gpuWorkerImage 'app/container-image.bicep' = if (enableGpuWorker && gpuWorkerExists) {
  name: 'gpuworker-image'
  scope: rg
  params: {
    appName: names.gpuWorkerApp
  }
}

module gpuWorker 'app/gpuworker.bicep' = if (enableGpuWorker) {
  name: 'gpuworker'
  scope: rg
  dependsOn: [
    rbac
  ]
  params: {
    location: empty(gpuLocation) ? location : gpuLocation
    tags: tags
    registryName: names.containerRegistry
    environmentName: names.containerAppsEnvironment
    appName: names.gpuWorkerApp
    identityId: workerIdentity!.outputs.id
    identityClientId: workerIdentity!.outputs.clientId
    identityPrincipalId: workerIdentity!.outputs.principalId
    storageAccountName: storage.outputs.name
    blobEndpoint: storage.outputs.blobEndpoint
    queueEndpoint: storage.outputs.queueEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    queueName: workerQueueName
    tilesContainerName: tilesContainerName
    rejectedContainerName: rejectedContainerName
    quarantineContainerName: quarantineContainerName
    resultsTableName: resultsTableName
    rejectAboveMicrons: rejectAboveMicrons
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    logAnalyticsWorkspaceId: monitoring.outputs.logAnalyticsWorkspaceId
    gpuProfileType: gpuProfileType
    maxReplicas: gpuMaxReplicas
    image: gpuWorkerExists ? gpuWorkerImage.?outputs.image ?? placeholderImage : placeholderImage
    healthProbes: gpuWorkerExists
  }
}

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output RESOURCE_GROUP string = rg.name
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output FUNCTION_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output GPU_WORKER_IDENTITY_CLIENT_ID string = workerIdentity.?outputs.clientId ?? ''
output DEPLOYMENT_IDENTITY_CLIENT_ID string = deploymentIdentity.outputs.clientId
output AZURE_FUNCTION_APP_NAME string = processor.outputs.name
output AZURE_FUNCTION_APP_HOSTNAME string = processor.outputs.defaultHostName
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output STORAGE_BLOB_ENDPOINT string = storage.outputs.blobEndpoint
output TILES_CONTAINER string = tilesContainerName
output RESULTS_TABLE string = resultsTableName
output EVENT_GRID_SYSTEM_TOPIC_NAME string = eventGrid.outputs.name
output EVENT_DEADLETTER_ENDPOINT string = eventGrid.outputs.deadLetterEndpoint
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.applicationInsightsConnectionString
output ENABLE_GPU_WORKER bool = enableGpuWorker
output ENABLE_ENTRA_AUTH bool = processor.outputs.entraAuthEnabled
output AUTH_CLIENT_ID string = entraAuthClientId
output AZURE_CONTAINER_REGISTRY_ENDPOINT string = gpuWorker.?outputs.registryLoginServer ?? ''
output AZURE_CONTAINER_REGISTRY_NAME string = gpuWorker.?outputs.registryName ?? ''
output AZURE_CONTAINER_APPS_ENVIRONMENT_NAME string = gpuWorker.?outputs.environmentName ?? ''
output GPU_WORKER_APP_NAME string = gpuWorker.?outputs.appName ?? ''
