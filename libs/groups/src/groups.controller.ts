import { CurrentUser, Public, type AuthenticatedUser } from '@app/auth';
import { ApiErrorResponses } from '@app/errors';
import { PageQueryDto } from '@app/pagination';
import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Param, Post, Query } from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import { CreateGroupDto } from './dto/create-group.dto.js';
import { GroupIdParams } from './dto/group-id.params.js';
import { CreatedGroupResponseDto, GroupPageDto, GroupResponseDto } from './dto/group.dto.js';
import { GroupsService } from './groups.service.js';

@ApiTags('groups')
@Controller('groups')
export class GroupsController {
  constructor(private readonly groups: GroupsService) {}

  @Public()
  @Get()
  @ApiOperation({ operationId: 'listGroups', summary: 'List groups, newest first' })
  @ApiOkResponse({ type: GroupPageDto })
  @ApiErrorResponses(400, 503)
  list(@Query() query: PageQueryDto): Promise<GroupPageDto> {
    return this.groups.list(query.limit, query.nextKey);
  }

  @Post()
  @ApiBearerAuth()
  @ApiOperation({ operationId: 'createGroup', summary: 'Create a group owned by the caller' })
  @ApiCreatedResponse({ type: CreatedGroupResponseDto })
  @ApiErrorResponses(400, 401, 503)
  async create(@CurrentUser() user: AuthenticatedUser, @Body() body: CreateGroupDto): Promise<CreatedGroupResponseDto> {
    return { newItem: await this.groups.create(user.userId, body) };
  }

  @Public()
  @Get(':groupId')
  @ApiOperation({ operationId: 'getGroup', summary: 'Get one group' })
  @ApiOkResponse({ type: GroupResponseDto })
  @ApiErrorResponses(400, 404, 503)
  async get(@Param() params: GroupIdParams): Promise<GroupResponseDto> {
    return { item: await this.groups.get(params.groupId) };
  }

  @Delete(':groupId')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiBearerAuth()
  @ApiOperation({
    operationId: 'deleteGroup',
    summary: 'Delete an empty group (owner only)',
    description: 'A group that still holds images is refused with 409: delete its images first.',
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  @ApiErrorResponses(400, 401, 403, 404, 409, 503)
  async delete(@CurrentUser() user: AuthenticatedUser, @Param() params: GroupIdParams): Promise<void> {
    await this.groups.delete(user.userId, params.groupId);
  }
}
