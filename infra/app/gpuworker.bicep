// The optional GPU worker: a container registry, a Container Apps environment with a
// serverless GPU workload profile, and the worker app. The app reads Event Grid
// BlobCreated events from the tile-events queue and scales on its length, from zero.
// Everything authenticates with the worker's own user-assigned identity: no registry admin
// user, no storage keys, no Log Analytics shared key (logs go through Azure Monitor).

param location string
param tags object

param registryName string
param environmentName string
param appName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string
param identityClientId string
param identityPrincipalId string

param storageAccountName string
param blobEndpoint string
param queueEndpoint string
param tableEndpoint string

param queueName string
param tilesContainerName string
param rejectedContainerName string
param quarantineContainerName string
param resultsTableName string
param rejectAboveMicrons string

param applicationInsightsConnectionString string
param logAnalyticsWorkspaceId string

@description('Serverless GPU profile type; GPU profiles can only be set when the environment is created.')
@allowed([
  'Consumption-GPU-NC8as-T4'
  'Consumption-GPU-NC24-A100'
])
param gpuProfileType string

@description('Most worker replicas (one GPU each) running at once.')
@minValue(1)
@maxValue(100)
param maxReplicas int

@description('Queue messages per replica before KEDA adds another.')
@minValue(1)
param messagesPerReplica int = 20

@description('Image to run; azd replaces it on every deploy.')
param image string

@description('Probe /healthz and /ready: true once the worker image (not the placeholder) is deployed.')
param healthProbes bool = true

var acrPullRoleId = '7f951dda-4ed3-4680-a7ca-43fe172d538d'
var gpuProfileName = 'gpu'

// One replica takes the whole GPU node's share: NC8as-T4 8 vCPU / 56 GiB, NC24-A100 24 vCPU / 220 GiB.
var replicaSize = gpuProfileType == 'Consumption-GPU-NC24-A100'
  ? { cpu: 24, memory: '220Gi' }
  : { cpu: 8, memory: '56Gi' }

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identityPrincipalId, acrPullRoleId)
  scope: registry
  properties: {
    principalId: identityPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRoleId)
  }
}

resource environment 'Microsoft.App/managedEnvironments@2025-01-01' = {
  name: environmentName
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'azure-monitor'
    }
    workloadProfiles: [
      {
        name: 'Consumption'
        workloadProfileType: 'Consumption'
      }
      {
        name: gpuProfileName
        workloadProfileType: gpuProfileType
      }
    ]
  }
}

resource environmentLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: environment
  properties: {
    workspaceId: logAnalyticsWorkspaceId
    logs: [
      {
        categoryGroup: 'allLogs'
        enabled: true
      }
    ]
  }
}

var storageEnv = [
  { name: 'FocusStorage__credential', value: 'managedidentity' }
  { name: 'FocusStorage__clientId', value: identityClientId }
  { name: 'FocusStorage__blobServiceUri', value: blobEndpoint }
  { name: 'FocusStorage__queueServiceUri', value: queueEndpoint }
  { name: 'FocusStorage__tableServiceUri', value: tableEndpoint }
  { name: 'AZURE_CLIENT_ID', value: identityClientId }
]

var workerEnv = [
  { name: 'Worker__QueueName', value: queueName }
  { name: 'TILES_CONTAINER', value: tilesContainerName }
  { name: 'Storage__RejectedContainer', value: rejectedContainerName }
  { name: 'Storage__QuarantineContainer', value: quarantineContainerName }
  { name: 'Storage__ResultsTable', value: resultsTableName }
  { name: 'Scoring__RejectAboveMicrons', value: rejectAboveMicrons }
  { name: 'Scoring__ExecutionProvider', value: 'Cuda' }
  { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
  { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
]

resource app 'Microsoft.App/containerApps@2025-01-01' = {
  name: appName
  location: location
  tags: union(tags, { 'azd-service-name': 'gpuworker' })
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  // The registry pull must be authorised before the first revision that uses it starts.
  dependsOn: [
    acrPull
  ]
  properties: {
    environmentId: environment.id
    workloadProfileName: gpuProfileName
    configuration: {
      activeRevisionsMode: 'Single'
      registries: [
        {
          server: registry.properties.loginServer
          identity: identityId
        }
      ]
    }
    template: {
      containers: [
        {
          name: 'gpuworker'
          image: image
          resources: {
            cpu: replicaSize.cpu
            memory: replicaSize.memory
          }
          env: concat(storageEnv, workerEnv)
          // The worker serves /healthz (alive) and /ready (model loaded) on 8080; the placeholder image does not.
          probes: healthProbes
            ? [
                {
                  type: 'Startup'
                  httpGet: { path: '/healthz', port: 8080 }
                  periodSeconds: 5
                  failureThreshold: 30
                }
                {
                  type: 'Liveness'
                  httpGet: { path: '/healthz', port: 8080 }
                  periodSeconds: 30
                }
                {
                  type: 'Readiness'
                  httpGet: { path: '/ready', port: 8080 }
                  periodSeconds: 10
                }
              ]
            : []
        }
      ]
      scale: {
        minReplicas: 0
        maxReplicas: maxReplicas
        rules: [
          {
            name: 'tile-events-length'
            azureQueue: {
              accountName: storageAccountName
              queueName: queueName
              queueLength: messagesPerReplica
              identity: identityId
            }
          }
        ]
      }
    }
  }
}

output registryName string = registry.name
output registryLoginServer string = registry.properties.loginServer
output environmentName string = environment.name
output appName string = app.name
