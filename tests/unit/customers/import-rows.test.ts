import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { columnOf, indexColumns, mergeRow, parseRow, type ParsedRow } from '../../../server/customers/import-rows.ts';
import type { CustomerFields } from '../../../server/customers/customer.model.ts';

const HEADERS = ['客户编码', '客户名称', '地址', '客户类型', '客户等级', '经度', '纬度', '坐标系', '联系人', '职务', '电话', '关键人', '负责人账号'];
const index = indexColumns(HEADERS);
const row = (over: Partial<Record<string, string>> = {}) =>
  HEADERS.map((h) => over[h] ?? ({ 客户编码: 'KH1', 客户名称: '仁和大药房', 地址: '南京市中山路 1 号', 客户类型: '药店', 客户等级: 'a', 经度: '118.78', 纬度: '32.06', 坐标系: '百度', 联系人: '李明', 职务: '店长', 电话: '138 0013 8000' } as Record<string, string>)[h] ?? '');
const actor = { userId: new Types.ObjectId(), name: '王经理', role: 'manager' as const };
const at = new Date('2026-03-01T00:00:00Z');

function parsed(over?: Partial<Record<string, string>>): ParsedRow {
  const { value, errors } = parseRow(row(over), index);
  expect(errors).toEqual([]);
  return value as ParsedRow;
}

describe('import rows', () => {
  it('matches headers loosely and refuses a sheet without a required column', () => {
    expect(indexColumns([' 客户编码* ', '客户名称', '地址', '客户类型', '客户等级', '经度', '纬度']).get('code')).toBe(0);
    expect(() => indexColumns(['客户名称', '地址'])).toThrow(expect.objectContaining({ code: 'IMPORT_HEADER_INVALID' }));
  });

  it('turns a row into normalised fields: class upper-cased, BD09 converted, phone canonical', () => {
    const p = parsed();
    expect(p.content).toMatchObject({ code: 'KH1', class: 'A', type: '药店', point: { type: 'Point' }, pointMeta: { system: 'GCJ02', original: { lng: 118.78, lat: 32.06, system: 'BD09' } } });
    expect(p.contact).toEqual({ name: '李明', role: '店长', phone: '13800138000', isKey: undefined });
  });

  it('reports problems by field pointer, which map to sheet columns', () => {
    const errors = parseRow(row({ 客户编码: '', 经度: 'abc', 电话: '12345', 关键人: '也许' }), index).errors;
    expect(errors.map((e) => [columnOf(e.field), e.code]).sort()).toEqual([['关键人', 'NOT_ALLOWED_VALUE'], ['客户编码', 'REQUIRED'], ['经度', 'NOT_A_NUMBER']].sort());
    expect(parseRow(row({ 电话: '12345' }), index).errors.map((e) => [columnOf(e.field), e.code])).toEqual([['电话', 'INVALID_PHONE']]);
    expect(parseRow(row({ 经度: '39.9', 纬度: '116.4' }), index).errors.map((e) => [columnOf(e.field), e.code])).toEqual([['经度', 'COORDINATES_SWAPPED']]);
    expect(parseRow(row({ 客户等级: 'E' }), index).errors.map((e) => columnOf(e.field))).toEqual(['客户等级']);
  });

  it('merging the same row twice changes nothing the second time and keeps contact ids', () => {
    const p = parsed();
    const first = mergeRow(undefined, p, undefined, actor, at);
    expect(first.changed).toBe(true);
    const stored = first.next as CustomerFields;
    const again = mergeRow(stored, p, undefined, actor, at);
    expect(again.changed).toBe(false);
    const renamed = mergeRow(stored, parsed({ 职务: '采购经理' }), undefined, actor, at);
    expect(renamed.changed).toBe(true);
    expect(renamed.next.contacts).toHaveLength(1);
    expect(String(renamed.next.contacts[0]?._id)).toBe(String(stored.contacts[0]?._id));
    const second = mergeRow(stored, parsed({ 联系人: '周红', 职务: '', 电话: '' }), undefined, actor, at);
    expect(second.next.contacts.map((c) => c.name)).toEqual(['李明', '周红']);
  });

  it('a named rep is assigned once, with an assign event', () => {
    const rep = { id: new Types.ObjectId(), name: '张伟' };
    const first = mergeRow(undefined, parsed(), rep, actor, at);
    expect(first.change).toMatchObject({ addRep: rep.id, event: { action: 'assign', repId: rep.id } });
    expect(mergeRow(first.next, parsed(), rep, actor, at).changed).toBe(false);
  });
});
