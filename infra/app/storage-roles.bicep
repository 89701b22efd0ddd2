// Data-plane roles of one principal, each assignment scoped to the one container, queue or
// table it is for: the principal reaches nothing in the account that is not listed here.

param storageAccountName string

@description('Principal id of the identity the roles are for.')
param principalId string

@description('What the roles let this principal do, for the record in each assignment.')
param purpose string

@description('Roles on containers: [{ container: name, roleId: role definition guid }].')
param containerRoles array = []

@description('Roles on queues: [{ queue: name, roleId: role definition guid }].')
param queueRoles array = []

@description('Roles on tables: [{ table: name, roleId: role definition guid }].')
param tableRoles array = []

resource storage 'Microsoft.Storage/storageAccounts@2024-01-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2024-01-01' existing = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2024-01-01' existing = [
  for role in containerRoles: {
    parent: blobService
    name: role.container
  }
]

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2024-01-01' existing = [
  for role in queueRoles: {
    parent: queueService
    name: role.queue
  }
]

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2024-01-01' existing = [
  for role in tableRoles: {
    parent: tableService
    name: role.table
  }
]

resource containerAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (role, i) in containerRoles: {
    name: guid(containers[i].id, principalId, role.roleId)
    scope: containers[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleId)
      description: '${purpose}: container ${role.container}'
    }
  }
]

resource queueAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (role, i) in queueRoles: {
    name: guid(queues[i].id, principalId, role.roleId)
    scope: queues[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleId)
      description: '${purpose}: queue ${role.queue}'
    }
  }
]

resource tableAssignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (role, i) in tableRoles: {
    name: guid(tables[i].id, principalId, role.roleId)
    scope: tables[i]
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role.roleId)
      description: '${purpose}: table ${role.table}'
    }
  }
]
