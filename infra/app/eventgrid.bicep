// The storage account's Event Grid system topic (Azure allows one per account).
// The webhook subscription to the Function is made after code deployment by
// scripts/postdeploy.*, since it needs the deployed host's blobs_extension key.
// When the GPU worker is on, a second subscription delivers the same uploads to the
// worker's queue, authenticated with the topic's own managed identity.
// Events that cannot be delivered (retries or time to live exhausted) are dead-lettered
// into deadLetterContainerName with the topic's identity, never dropped; the tiles they
// were about stay pending and `focus process` (PendingTileSweeper) scores them.

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

@description('Container that receives events Event Grid could not deliver.')
param deadLetterContainerName string

// Storage Queue Data Message Sender: add messages, nothing else.
var queueMessageSenderRoleId = 'c6a89b2d-59bc-44d0-9896-0f6e12d7b80a'

// Storage Blob Data Contributor, on the dead-letter container only: write undeliverable events.
var blobDataContributorRoleId = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource deadLetterContainer 'containers' existing = {
      name: deadLetterContainerName
    }
  }

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
  // Always: the topic writes dead letters with it (and delivers to the worker queue with it).
  identity: {
    type: 'SystemAssigned'
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

resource topicDeadLetterWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage::blobService::deadLetterContainer.id, topic.id, blobDataContributorRoleId)
  scope: storage::blobService::deadLetterContainer
  properties: {
    principalId: topic.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', blobDataContributorRoleId)
  }
}

resource queueSubscription 'Microsoft.EventGrid/systemTopics/eventSubscriptions@2025-02-15' = if (deliverToQueue) {
  parent: topic
  name: 'gpuworker-tiles'
  dependsOn: [
    topicQueueSender
    topicDeadLetterWriter
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
    deadLetterWithResourceIdentity: {
      identity: {
        type: 'SystemAssigned'
      }
      deadLetterDestination: {
        endpointType: 'StorageBlob'
        properties: {
          resourceId: storage.id
          blobContainerName: deadLetterContainerName
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

@description('Resource ID of the dead-letter container, for the webhook subscription that scripts/postdeploy.* creates.')
output deadLetterEndpoint string = storage::blobService::deadLetterContainer.id
