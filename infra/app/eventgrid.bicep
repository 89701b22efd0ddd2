// The storage account's Event Grid system topic (Azure allows one per account).
// The webhook subscription to the Function is made after code deployment by
// scripts/postdeploy.*, since it needs the deployed host's blobs_extension key.
// When the GPU worker is on, a second subscription delivers the same uploads to the
// worker's queue, authenticated with the topic's own managed identity.

param name string
param location string
param tags object
param storageAccountName string

@description('Container whose uploads are scored.')
param tilesContainerName string

@description('Queue the GPU worker reads.')
param workerQueueName string

@description('Whether uploads are also delivered to the worker queue (GPU variant).')
param deliverToQueue bool

// Storage Queue Data Message Sender: add messages, nothing else.
var queueMessageSenderRoleId = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource queueService 'queueServices' existing = {
    name: 'default'

    resource workerQueue 'queues' existing = {
      name: workerQueueName
    }
  }
}

resource topic 'Microsoft.EventGrid/systemTopics@2025-02-15' = {
  name: name
  location: location
  tags: tags
  identity: {
    type: deliverToQueue ? 'SystemAssigned' : 'None'
  }
  properties: {
    source: storage.id
    topicType: 'Microsoft.Storage.StorageAccounts'
  }
}

resource topicQueueSender 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (deliverToQueue) {
  name: guid(storage::queueService::workerQueue.id, topic.id, queueMessageSenderRoleId)
  scope: storage::queueService::workerQueue
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', queueMessageSenderRoleId)
  }
}

resource queueSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deliverToQueue) {
  parent: topic
  name: 'gpuworker-tiles'
  dependsOn: [
    topicQueueSender
  ]
  properties: {
    eventDeliverySchema: 'EventGridSchema'
    filter: {
      includedEventTypes: [
        'Microsoft.Storage.BlobCreated'
      ]
      subjectBeginsWith: '/blobServices/default/containers/${tilesContainerName}/'
      // Only completed uploads: not block staging, not metadata or tier changes.
      advancedFilters: [
        {
          operatorType: 'StringIn'
          key: 'data.api'
          values: [
            'PutBlob'
            'PutBlockList'
            'FlushWithClose'
            'CopyBlob'
          ]
        }
      ]
    }
    deliveryWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      destination: {
        endpointType: 'StorageQueue'
        properties: {
          resourceId: storage.id
          queueName: workerQueueName
          // -1: messages never expire while the worker is scaled to zero.
          queueMessageTimeToLiveInSeconds: -1
        }
      }
    }
    retryPolicy: {
      maxDeliveryAttempts: 30
      eventTimeToLiveInMinutes: 1440
    }
  }
}

output name string = topic.name
