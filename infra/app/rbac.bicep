// Data-plane roles: one identity per app, each role scoped to the container, queue or table that
// app needs (storage-roles.bicep), so that a compromised image parser in one app reaches neither
// the other app's data nor the deployment packages. Only the deployment identity can write the
// deployment container. Two further assignments live next to the resources whose creation waits
// on them: AcrPull in gpuworker.bicep and the Event Grid topic's queue sender in eventgrid.bicep.

param storageAccountName string
param applicationInsightsName string

@description('Principal id of the identity the Function app runs as.')
param functionPrincipalId string

@description('Whether the GPU worker is deployed (and so has an identity to grant roles to).')
param workerEnabled bool

@description('Principal id of the identity the GPU worker runs as; ignored without the worker.')
param workerPrincipalId string

@description('Principal id of the identity the platform writes and reads deployment packages with.')
param deploymentPrincipalId string

param tilesContainerName string
param rejectedContainerName string
param quarantineContainerName string
param deploymentContainerName string

@description('Container the Functions host keeps its locks and blob receipts in.')
param hostLocksContainerName string

@description('Container the Functions host keeps its keys in.')
param hostKeysContainerName string

@description('Queue the Functions host puts blob-trigger poison messages on.')
param hostPoisonQueueName string

param workerQueueName string
param workerPoisonQueueName string
param resultsTableName string

@description('Optional principal (the person running azd) given data access for trying the app out; empty for none.')
param userPrincipalId string = ''

@allowed([
  'User'
  'Group'
  'ServicePrincipal'
])
param userPrincipalType string = 'User'

var roles = {
  // The Functions host's own containers: Microsoft documents Owner for its identity-based
  // AzureWebJobsStorage; here it holds only on the host's containers.
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  // Read, write and delete blobs: tiles are read and deleted, copies written.
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
  // The host creates its poison queue if missing before it sends: sending alone is not enough.
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  // Receive, renew and delete messages (the worker's queue); no queue management.
  storageQueueDataMessageProcessor: '8a0f0c08-91a1-4084-bc3d-661d67233fed'
  // Queue properties (length): the worker's start-up check and KEDA's scale probe.
  storageQueueDataReader: '19e7f393-937e-4f77-808e-94535e297925'
  // Put messages only (the worker's poison queue).
  storageQueueDataMessageSender: 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'
  // FocusResults rows.
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  // Entra-authenticated telemetry ingestion (the component has local auth disabled).
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}

// What both apps do to tiles: read and delete in tiles, write copies to rejected and quarantine.
var tileContainerRoles = [
  { container: tilesContainerName, roleId: roles.storageBlobDataContributor }
  { container: rejectedContainerName, roleId: roles.storageBlobDataContributor }
  { container: quarantineContainerName, roleId: roles.storageBlobDataContributor }
]

var resultsTableRoles = [
  { table: resultsTableName, roleId: roles.storageTableDataContributor }
]

// Enough to upload tiles, read outcomes and peek at queues; no ownership of the account's data.
var userStorageRoles = [
  roles.storageBlobDataContributor
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

module functionRoles 'storage-roles.bicep' = {
  name: 'function-storage-roles'
  params: {
    storageAccountName: storageAccountName
    principalId: functionPrincipalId
    purpose: 'Function app'
    containerRoles: concat(tileContainerRoles, [
      { container: hostLocksContainerName, roleId: roles.storageBlobDataOwner }
      { container: hostKeysContainerName, roleId: roles.storageBlobDataOwner }
    ])
    queueRoles: [
      { queue: hostPoisonQueueName, roleId: roles.storageQueueDataContributor }
    ]
    tableRoles: resultsTableRoles
  }
}

module workerRoles 'storage-roles.bicep' = if (workerEnabled) {
  name: 'gpuworker-storage-roles'
  params: {
    storageAccountName: storageAccountName
    principalId: workerPrincipalId
    purpose: 'GPU worker'
    containerRoles: tileContainerRoles
    queueRoles: [
      { queue: workerQueueName, roleId: roles.storageQueueDataMessageProcessor }
      { queue: workerQueueName, roleId: roles.storageQueueDataReader }
      { queue: workerPoisonQueueName, roleId: roles.storageQueueDataMessageSender }
    ]
    tableRoles: resultsTableRoles
  }
}

module deploymentRoles 'storage-roles.bicep' = {
  name: 'deployment-storage-roles'
  params: {
    storageAccountName: storageAccountName
    principalId: deploymentPrincipalId
    purpose: 'Deployment packages'
    containerRoles: [
      { container: deploymentContainerName, roleId: roles.storageBlobDataContributor }
    ]
  }
}

resource functionTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(applicationInsights.id, functionPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: functionPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource workerTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (workerEnabled) {
  name: guid(applicationInsights.id, workerPrincipalId, roles.monitoringMetricsPublisher)
  scope: applicationInsights
  properties: {
    principalId: workerPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
  }
}

resource userStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in userStorageRoles: if (!empty(userPrincipalId)) {
    name: guid(storage.id, userPrincipalId, roleId)
    scope: storage
    properties: {
      principalId: userPrincipalId
      principalType: userPrincipalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]
